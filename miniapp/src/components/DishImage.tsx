import { Image, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { mediaUrl } from '../utils/media';
import './DishImage.css';

interface DishImageProps {
  name: string;
  url: string | null;
}

/**
 * A dish photo, loaded lazily; until it arrives (or when there is none, or it fails) a tinted
 * square with the dish's first character holds its place, so the list never jumps.
 */
export default function DishImage({ name, url }: DishImageProps) {
  const [state, setState] = useState<'loading' | 'loaded' | 'failed'>('loading');
  const src = mediaUrl(url);
  return (
    <View className="dish-image">
      {state !== 'loaded' && (
        <View className="dish-image__placeholder">
          <Text className="dish-image__glyph">{[...name][0] ?? ''}</Text>
        </View>
      )}
      {src && state !== 'failed' ? (
        <Image
          className={`dish-image__img${state === 'loaded' ? ' dish-image__img--loaded' : ''}`}
          src={src}
          mode="aspectFill"
          lazyLoad
          onLoad={() => setState('loaded')}
          onError={() => setState('failed')}
        />
      ) : null}
    </View>
  );
}
