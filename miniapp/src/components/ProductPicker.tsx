import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { MemberMenuProduct } from 'shared-types';
import { formatFen } from 'shared-types/money';
import { choiceProblem, defaultSpecChoice, groupHint, skuFor, toggleAddon, unitPriceWithAddons } from '../cart/rules';
import './ProductPicker.css';

interface ProductPickerProps {
  product: MemberMenuProduct;
  /** Called with the chosen SKU and add-on codes once the choice follows every rule. */
  onAdd: (sku: MemberMenuProduct['skus'][number], addons: string[]) => void;
  onClose: () => void;
}

/** 选规格: one option per spec group, add-ons within each group's min/max, then 加入购物车. */
export default function ProductPicker({ product, onAdd, onClose }: ProductPickerProps) {
  const [specChoice, setSpecChoice] = useState<string[]>(() => defaultSpecChoice(product));
  const [addons, setAddons] = useState<string[]>([]);

  const sku = skuFor(product, specChoice);
  const problem = choiceProblem(product, specChoice, addons);

  const chooseSpec = (groupIndex: number, option: string) => {
    const next = [...specChoice];
    next[groupIndex] = option;
    setSpecChoice(next);
  };

  /** Whether choosing `option` in this group (keeping the others) lands on a sold-out SKU. */
  const optionSoldOut = (groupIndex: number, option: string) => {
    const next = [...specChoice];
    next[groupIndex] = option;
    return skuFor(product, next)?.soldOut ?? false;
  };

  return (
    <View className="picker">
      <View className="picker__mask" onClick={onClose} />
      <View className="picker__panel">
        <View className="picker__head">
          <Text className="picker__title">{product.name}</Text>
          <Text className="picker__close" onClick={onClose}>
            关闭
          </Text>
        </View>

        {product.specGroups.map((group, groupIndex) => (
          <View className="picker__group picker__group--spec" key={group.name}>
            <Text className="picker__group-name">{group.name}</Text>
            <View className="picker__options">
              {group.options.map((option) => {
                const soldOut = optionSoldOut(groupIndex, option);
                const selected = specChoice[groupIndex] === option;
                return (
                  <View
                    key={option}
                    className={`picker__option${selected ? ' picker__option--selected' : ''}${soldOut ? ' picker__option--sold-out' : ''}`}
                    onClick={() => chooseSpec(groupIndex, option)}
                  >
                    {option}
                    {soldOut ? '（售罄）' : ''}
                  </View>
                );
              })}
            </View>
          </View>
        ))}

        {product.addonGroups.map((group) => (
          <View className="picker__group picker__group--addon" key={group.code}>
            <View className="picker__group-title">
              <Text className="picker__group-name">{group.name}</Text>
              <Text className="picker__group-hint">{groupHint(group)}</Text>
            </View>
            <View className="picker__options">
              {group.options.map((option) => {
                const selected = addons.includes(option.code);
                return (
                  <View
                    key={option.code}
                    className={`picker__addon${selected ? ' picker__addon--selected' : ''}`}
                    onClick={() => setAddons(toggleAddon(group, addons, option.code))}
                  >
                    {option.name}
                    {option.price > 0 ? ` +${formatFen(option.price)}` : ''}
                  </View>
                );
              })}
            </View>
          </View>
        ))}

        <View className="picker__foot">
          <View className="picker__summary">
            <Text className="picker__price">{sku ? formatFen(unitPriceWithAddons(product, sku, addons)) : ''}</Text>
            {sku?.specText ? <Text className="picker__spec-text">{sku.specText}</Text> : null}
          </View>
          {problem ? <Text className="picker__problem">{problem}</Text> : null}
          {/* Taro H5 writes disabled={false} out as the attribute disabled="false", which styles the
              button as disabled; every page passes undefined instead of false. */}
          <Button
            className="picker__add"
            type="primary"
            disabled={problem !== null || undefined}
            onClick={() => {
              if (sku && problem === null) onAdd(sku, addons);
            }}
          >
            加入购物车
          </Button>
        </View>
      </View>
    </View>
  );
}
